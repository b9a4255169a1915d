// An ECharts chart bound to an element for the life of a component: made on mount, resized with
// its box, disposed on unmount. Only the parts of ECharts the command centre draws are loaded.
import { onBeforeUnmount, onMounted, shallowRef, type Ref } from 'vue';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

export function useChart(el: Ref<HTMLElement | undefined>, dark: boolean) {
  const chart = shallowRef<echarts.ECharts>();
  let observer: ResizeObserver | undefined;
  onMounted(() => {
    if (!el.value) return;
    chart.value = echarts.init(el.value, dark ? 'dark' : undefined, { renderer: 'canvas' });
    observer = new ResizeObserver(() => chart.value?.resize());
    observer.observe(el.value);
  });
  onBeforeUnmount(() => {
    observer?.disconnect();
    chart.value?.dispose();
  });
  return (option: ChartOption) => chart.value?.setOption({ backgroundColor: 'transparent', ...option }, true);
}
